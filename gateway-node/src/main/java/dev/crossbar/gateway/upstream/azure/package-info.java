@NullMarked
package dev.crossbar.gateway.upstream.azure;

import org.jspecify.annotations.NullMarked;
