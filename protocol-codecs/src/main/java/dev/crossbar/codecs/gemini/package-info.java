@NullMarked
package dev.crossbar.codecs.gemini;

import org.jspecify.annotations.NullMarked;
