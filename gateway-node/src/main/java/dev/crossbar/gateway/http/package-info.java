@NullMarked
package dev.crossbar.gateway.http;

import org.jspecify.annotations.NullMarked;
