@NullMarked
package dev.crossbar.gateway.responses;

import org.jspecify.annotations.NullMarked;
