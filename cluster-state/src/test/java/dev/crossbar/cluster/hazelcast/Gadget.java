package dev.crossbar.cluster.hazelcast;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** A class whose deserialization runs code, as a gadget chain's would: counts each time it is read. */
final class Gadget implements Serializable {

    private static final long serialVersionUID = 1L;
    static final AtomicInteger readObjects = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        readObjects.incrementAndGet();
    }
}
