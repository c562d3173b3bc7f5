@NullMarked
package dev.crossbar.gateway.config;

import org.jspecify.annotations.NullMarked;
