@NullMarked
package dev.crossbar.cluster.ledger;

import org.jspecify.annotations.NullMarked;
