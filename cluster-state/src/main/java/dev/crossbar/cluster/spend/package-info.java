@NullMarked
package dev.crossbar.cluster.spend;

import org.jspecify.annotations.NullMarked;
