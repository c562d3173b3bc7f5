@NullMarked
package dev.crossbar.gateway.routing;

import org.jspecify.annotations.NullMarked;
