@NullMarked
package dev.crossbar.cluster.seal;

import org.jspecify.annotations.NullMarked;
