@NullMarked
package dev.crossbar.codecs.json;

import org.jspecify.annotations.NullMarked;
