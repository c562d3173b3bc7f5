package dev.crossbar.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.crossbar.cluster.ledger.KeyStateIo;
import dev.crossbar.cluster.ledger.LeaseGrant;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Registers the ledger's messages with Hazelcast in compact binary forms (no Java serialization): the entry
 * processors and the grant they answer. The stored states are byte arrays (signed envelopes), so Hazelcast
 * needs no serializer for them.
 */
final class LedgerSerialization {

    static final int FACTORY_ID = 7400;
    static final int ENTRY_PROCESSOR = 1;
    static final int BACKUP_PROCESSOR = 2;
    static final int SPEND_PROCESSOR = 3;
    static final int SPEND_ANSWER = 4;
    private static final int LEASE_GRANT_TYPE = 7402;

    private LedgerSerialization() {}

    static void register(Config config) {
        config.getSerializationConfig().addDataSerializableFactory(FACTORY_ID, new Factory());
        config.getSerializationConfig()
                .addSerializerConfig(new SerializerConfig()
                        .setTypeClass(LeaseGrant.class)
                        .setImplementation(new LeaseGrantSerializer()));
    }

    static final class Factory implements DataSerializableFactory {
        @Override
        public @Nullable IdentifiedDataSerializable create(int typeId) {
            return switch (typeId) {
                case ENTRY_PROCESSOR -> new LedgerEntryProcessor();
                case BACKUP_PROCESSOR -> new StateBackupProcessor();
                case SPEND_PROCESSOR -> new BudgetEntryProcessor();
                case SPEND_ANSWER -> new BudgetEntryProcessor.Answer();
                default -> null;
            };
        }
    }

    static final class LeaseGrantSerializer implements StreamSerializer<LeaseGrant> {
        @Override
        public void write(ObjectDataOutput out, LeaseGrant grant) throws IOException {
            KeyStateIo.writeGrant(out, grant);
        }

        @Override
        public LeaseGrant read(ObjectDataInput in) throws IOException {
            return KeyStateIo.readGrant(in);
        }

        @Override
        public int getTypeId() {
            return LEASE_GRANT_TYPE;
        }
    }
}
