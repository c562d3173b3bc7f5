@NullMarked
package dev.crossbar.cluster.records;

import org.jspecify.annotations.NullMarked;
