package dev.crossbar.codecs.model;

/** Who speaks a message. Tool results travel in {@link #TOOL} messages, whatever the wire calls them. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
}
