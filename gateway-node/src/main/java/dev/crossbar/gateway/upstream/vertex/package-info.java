@NullMarked
package dev.crossbar.gateway.upstream.vertex;

import org.jspecify.annotations.NullMarked;
