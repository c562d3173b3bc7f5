@NullMarked
package dev.crossbar.gateway.upstream.cloud;

import org.jspecify.annotations.NullMarked;
