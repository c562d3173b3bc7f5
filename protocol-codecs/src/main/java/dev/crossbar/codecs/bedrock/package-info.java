@NullMarked
package dev.crossbar.codecs.bedrock;

import org.jspecify.annotations.NullMarked;
