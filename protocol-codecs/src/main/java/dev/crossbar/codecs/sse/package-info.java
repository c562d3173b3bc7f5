@NullMarked
package dev.crossbar.codecs.sse;

import org.jspecify.annotations.NullMarked;
