@NullMarked
package dev.crossbar.codecs.spi;

import org.jspecify.annotations.NullMarked;
