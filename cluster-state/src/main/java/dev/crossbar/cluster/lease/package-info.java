@NullMarked
package dev.crossbar.cluster.lease;

import org.jspecify.annotations.NullMarked;
