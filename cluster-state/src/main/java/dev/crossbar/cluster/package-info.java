@NullMarked
package dev.crossbar.cluster;

import org.jspecify.annotations.NullMarked;
