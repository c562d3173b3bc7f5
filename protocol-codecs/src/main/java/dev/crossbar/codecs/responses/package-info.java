@NullMarked
package dev.crossbar.codecs.responses;

import org.jspecify.annotations.NullMarked;
