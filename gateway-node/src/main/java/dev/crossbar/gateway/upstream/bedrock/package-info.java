@NullMarked
package dev.crossbar.gateway.upstream.bedrock;

import org.jspecify.annotations.NullMarked;
