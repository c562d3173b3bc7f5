@NullMarked
package dev.crossbar.gateway.upstream;

import org.jspecify.annotations.NullMarked;
