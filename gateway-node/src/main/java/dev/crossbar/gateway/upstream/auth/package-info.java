@NullMarked
package dev.crossbar.gateway.upstream.auth;

import org.jspecify.annotations.NullMarked;
