@NullMarked
package dev.crossbar.gateway.node;

import org.jspecify.annotations.NullMarked;
