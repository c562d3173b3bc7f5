@NullMarked
package dev.crossbar.cluster.hazelcast;

import org.jspecify.annotations.NullMarked;
