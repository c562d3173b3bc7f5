@NullMarked
package dev.crossbar.gateway.usage;

import org.jspecify.annotations.NullMarked;
