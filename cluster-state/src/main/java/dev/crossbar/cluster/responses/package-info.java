@NullMarked
package dev.crossbar.cluster.responses;

import org.jspecify.annotations.NullMarked;
