package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.ClusterState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.cluster.members.MemberStatsBoard;
import dev.crossbar.cluster.members.Members;
import dev.crossbar.cluster.records.BudgetRecord;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.PriceRecord;
import dev.crossbar.cluster.records.ProviderKeyRecord;
import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.records.RecordFormat;
import dev.crossbar.cluster.records.RecordStore;
import dev.crossbar.cluster.records.SharedRecords;
import dev.crossbar.cluster.responses.ResponseStore;
import dev.crossbar.cluster.responses.ResponseStoreSettings;
import dev.crossbar.cluster.responses.SealedResponseStore;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.spend.BudgetLedger;

/** {@link ClusterState} on a running Hazelcast member. */
final class HazelcastClusterState implements ClusterState {

    private final ClusterKeyring keys;
    private final Rejections rejections;
    private final HazelcastLedger ledger;
    private final SharedRecords<ProviderKeyRecord> providerKeys;
    private final SharedRecords<ClientKeyRecord> clientKeys;
    private final SharedRecords<PriceRecord> prices;
    private final SharedRecords<BudgetRecord> budgets;
    private final HazelcastBudgetLedger spend;
    private final HazelcastMemberStatsBoard memberStats;
    private final HazelcastMembers members;
    private final SealedResponseStore responses;

    HazelcastClusterState(
            HazelcastInstance hazelcast, ClusterKeyring keys, Rejections rejections, LedgerSettings settings) {
        this.keys = keys;
        this.rejections = rejections;
        this.members = new HazelcastMembers(hazelcast, keys);
        this.ledger = new HazelcastLedger(hazelcast, settings);
        this.providerKeys = records(hazelcast, ProviderKeyRecord.FORMAT);
        this.clientKeys = records(hazelcast, ClientKeyRecord.FORMAT);
        this.prices = records(hazelcast, PriceRecord.FORMAT);
        this.budgets = records(hazelcast, BudgetRecord.FORMAT);
        this.spend = new HazelcastBudgetLedger(hazelcast);
        this.memberStats =
                new HazelcastMemberStatsBoard(hazelcast, new RecordCodec<>(MemberStats.FORMAT, keys), rejections);
        this.responses = new SealedResponseStore(
                new HazelcastExpiringMap(hazelcast),
                HazelcastExpiringMap.MAP,
                keys,
                rejections,
                ResponseStoreSettings.DEFAULTS);
    }

    @Override
    public ResponseStore responses() {
        return responses;
    }

    private <R> SharedRecords<R> records(HazelcastInstance hazelcast, RecordFormat<R> format) {
        return new SharedRecords<>(
                new HazelcastRawMap(hazelcast, format.map(), rejections), new RecordCodec<>(format, keys), rejections);
    }

    @Override
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public RecordStore<ProviderKeyRecord> providerKeys() {
        return providerKeys;
    }

    @Override
    public RecordStore<BudgetRecord> budgets() {
        return budgets;
    }

    @Override
    public BudgetLedger spend() {
        return spend;
    }

    @Override
    public RecordStore<ClientKeyRecord> clientKeys() {
        return clientKeys;
    }

    @Override
    public RecordStore<PriceRecord> prices() {
        return prices;
    }

    @Override
    public MemberStatsBoard memberStats() {
        return memberStats;
    }

    @Override
    public Members members() {
        return members;
    }

    @Override
    public ClusterKeyring keyring() {
        return keys;
    }

    @Override
    public Rejections rejections() {
        return rejections;
    }

    @Override
    public int reseal() {
        return providerKeys.reseal() + clientKeys.reseal() + prices.reseal() + budgets.reseal() + ledger.reseal();
    }

    @Override
    public void close() {
        providerKeys.close();
        clientKeys.close();
        prices.close();
        budgets.close();
        spend.close();
        ledger.close();
        members.close();
    }
}
