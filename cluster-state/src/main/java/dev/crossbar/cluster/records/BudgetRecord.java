package dev.crossbar.cluster.records;

import dev.crossbar.cluster.seal.ValueKinds;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A budget in US dollars for a client key or a team, as the cluster keeps it in {@code crossbar.budgets}: signed
 * (no secret, but nobody without the cluster key may raise a budget). Seeded from config, changed by admins.
 *
 * @param subject {@code client:<name>} or {@code team:<name>}
 * @param usd     the amount per period as a plain decimal, or null: the tombstone of a cleared budget
 * @param period  {@code day} or {@code month} (UTC)
 */
public record BudgetRecord(String subject, @Nullable String usd, String period) {

    public BudgetRecord {
        if (subject == null || period == null) {
            throw new IllegalArgumentException("a budget record needs a subject and a period");
        }
    }

    /** No budget (any more): a cleared one stays cleared when a node restarts with one in its config. */
    public static BudgetRecord cleared(String subject) {
        return new BudgetRecord(subject, null, "day");
    }

    /** The subject of a client key's budget. */
    public static String client(String name) {
        return "client:" + name;
    }

    /** The subject of a team's budget. */
    public static String team(String name) {
        return "team:" + name;
    }

    /** Version 1: subject, usd (nullable), period. */
    public static final RecordFormat<BudgetRecord> FORMAT =
            new FixedFormat<>("crossbar.budgets", ValueKinds.BUDGET, false, 1) {
                @Override
                public void write(DataOutput out, BudgetRecord r) throws IOException {
                    out.writeUTF(r.subject());
                    Fields.writeNullable(out, r.usd());
                    out.writeUTF(r.period());
                }

                @Override
                public BudgetRecord read(DataInput in, int version) throws IOException {
                    Fields.requireVersion(version, 1);
                    return new BudgetRecord(in.readUTF(), Fields.readNullable(in), in.readUTF());
                }
            };
}
