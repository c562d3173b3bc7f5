@NullMarked
package dev.crossbar.codecs.anthropic;

import org.jspecify.annotations.NullMarked;
