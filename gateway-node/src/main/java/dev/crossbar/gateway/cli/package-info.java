@NullMarked
package dev.crossbar.gateway.cli;

import org.jspecify.annotations.NullMarked;
