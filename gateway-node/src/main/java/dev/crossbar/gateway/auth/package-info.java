@NullMarked
package dev.crossbar.gateway.auth;

import org.jspecify.annotations.NullMarked;
