@NullMarked
package dev.crossbar.cluster.members;

import org.jspecify.annotations.NullMarked;
