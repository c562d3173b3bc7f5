@NullMarked
package dev.crossbar.gateway.metrics;

import org.jspecify.annotations.NullMarked;
