@NullMarked
package dev.crossbar.codecs.model;

import org.jspecify.annotations.NullMarked;
