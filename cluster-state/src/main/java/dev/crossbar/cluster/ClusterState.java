package dev.crossbar.cluster;

import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.members.MemberStatsBoard;
import dev.crossbar.cluster.members.Members;
import dev.crossbar.cluster.records.BudgetRecord;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.PriceRecord;
import dev.crossbar.cluster.records.ProviderKeyRecord;
import dev.crossbar.cluster.records.RecordStore;
import dev.crossbar.cluster.responses.ResponseStore;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.spend.BudgetLedger;

/**
 * Everything a node shares with the others, typed: the ledger of key states, the provider key, client key and
 * price records, the members' published stats, the member list and the Responses state kept for stateless
 * providers. Every value is versioned and sealed or signed
 * with the cluster key ({@link ClusterKeyring}); values that are not authentic are ignored and counted in
 * {@link #rejections()}.
 */
public interface ClusterState extends AutoCloseable {

    Ledger ledger();

    RecordStore<ProviderKeyRecord> providerKeys();

    RecordStore<ClientKeyRecord> clientKeys();

    /** Prices admins set, over the config's and the shipped table's. */
    RecordStore<PriceRecord> prices();

    /** Budgets of client keys and teams, from config and admins. */
    RecordStore<BudgetRecord> budgets();

    /** What client keys and teams spent in their current periods: the budget ledger. */
    BudgetLedger spend();

    MemberStatsBoard memberStats();

    Members members();

    /** The Responses API state kept for providers that keep none. */
    ResponseStore responses();

    /** The cluster keys this node holds. They never enter the cluster. */
    ClusterKeyring keyring();

    /** Values this node refused, by map and reason. */
    Rejections rejections();

    /**
     * Rewrites whatever is still sealed or signed with a previous cluster key under the current one: records
     * and the ledger's states. Returns how many values it rewrote. Blocks.
     */
    int reseal();

    /** Stops listening; the member itself is stopped with the node. */
    @Override
    void close();
}
