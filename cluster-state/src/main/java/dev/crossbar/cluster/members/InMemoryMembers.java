package dev.crossbar.cluster.members;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link Members} in one process: tests add and remove members, proven or not. */
public final class InMemoryMembers implements Members {

    private final String clusterName;
    private final List<MemberView> members = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    public InMemoryMembers(String clusterName, String localId, String localAddress) {
        this.clusterName = clusterName;
        members.add(new MemberView(localId, localAddress, true, true));
    }

    public void join(MemberView member) {
        members.add(member);
        listeners.forEach(Runnable::run);
    }

    public void leave(String memberId) {
        members.removeIf(m -> m.id().equals(memberId));
        listeners.forEach(Runnable::run);
    }

    public void stop() {
        running = false;
    }

    @Override
    public String localId() {
        return members.get(0).id();
    }

    @Override
    public String clusterName() {
        return clusterName;
    }

    @Override
    public List<MemberView> list() {
        return new ArrayList<>(members);
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
