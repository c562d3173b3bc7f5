@NullMarked
package dev.crossbar.gateway.proxy;

import org.jspecify.annotations.NullMarked;
