package dev.crossbar.cluster.ledger;

class InMemoryLedgerTest extends LedgerContract {

    private final InMemoryLedger ledger = new InMemoryLedger(System::currentTimeMillis, LedgerSettings.DEFAULTS);

    @Override
    protected Ledger ledger() {
        return ledger;
    }
}
