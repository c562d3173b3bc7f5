@NullMarked
package dev.crossbar.codecs.openai;

import org.jspecify.annotations.NullMarked;
