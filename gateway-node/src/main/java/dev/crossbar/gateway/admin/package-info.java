@NullMarked
package dev.crossbar.gateway.admin;

import org.jspecify.annotations.NullMarked;
