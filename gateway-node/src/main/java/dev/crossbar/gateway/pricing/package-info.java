@NullMarked
package dev.crossbar.gateway.pricing;

import org.jspecify.annotations.NullMarked;
