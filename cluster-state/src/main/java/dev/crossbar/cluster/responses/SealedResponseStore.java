package dev.crossbar.cluster.responses;

import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Envelope;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.ValueKinds;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ResponseStore} on an {@link ExpiringMap}: each record sealed (AES-GCM under the cluster key) with
 * its id and owner as associated data. A record of another owner does not open, and reads as absent; a
 * value that is not authentic at all is counted in the rejections.
 */
public final class SealedResponseStore implements ResponseStore {

    static final int VERSION = 1;

    private final ExpiringMap map;
    private final ClusterKeyring keys;
    private final Rejections rejections;
    private final ResponseStoreSettings settings;
    private final String mapName;

    public SealedResponseStore(
            ExpiringMap map,
            String mapName,
            ClusterKeyring keys,
            Rejections rejections,
            ResponseStoreSettings settings) {
        this.map = map;
        this.mapName = mapName;
        this.keys = keys;
        this.rejections = rejections;
        this.settings = settings;
    }

    @Override
    public boolean put(String id, String owner, byte[] record) {
        if (record.length > settings.maxEntryBytes()) {
            return false;
        }
        map.set(
                id,
                Envelope.seal(keys, ValueKinds.RESPONSE_STATE, VERSION, identity(id, owner), record),
                settings.ttl().toMillis());
        return true;
    }

    @Override
    public byte @Nullable [] get(String id, String owner) {
        Object value = map.get(id);
        return value == null ? null : open(id, owner, value);
    }

    @Override
    public boolean delete(String id, String owner) {
        Object value = map.get(id);
        if (value == null || open(id, owner, value) == null) {
            return false;
        }
        return map.remove(id, (byte[]) value);
    }

    private byte @Nullable [] open(String id, String owner, Object value) {
        try {
            Envelope.Opened opened = Envelope.open(keys, ValueKinds.RESPONSE_STATE, identity(id, owner), value, true);
            return opened.version() == VERSION ? opened.bytes() : null;
        } catch (UnreadableValue e) {
            // Another owner's record does not open either: that is no attack, so only foreign values count.
            if (e.reason() == UnreadableValue.Reason.FOREIGN) {
                rejections.refused(mapName, id, e);
            }
            return null;
        }
    }

    /** The id and the owner, length-prefixed by the envelope, each unambiguous: ids hold no newline. */
    private static String identity(String id, String owner) {
        return id + "\n" + owner;
    }
}
