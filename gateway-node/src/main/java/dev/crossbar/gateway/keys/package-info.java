@NullMarked
package dev.crossbar.gateway.keys;

import org.jspecify.annotations.NullMarked;
