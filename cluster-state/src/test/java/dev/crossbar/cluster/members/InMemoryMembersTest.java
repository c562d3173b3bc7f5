package dev.crossbar.cluster.members;

import java.util.UUID;

class InMemoryMembersTest extends MembersContract {

    private final InMemoryMembers members = new InMemoryMembers("c", "self", "127.0.0.1:5701");

    @Override
    protected Members members() {
        return members;
    }

    @Override
    protected String joinProven() {
        String id = UUID.randomUUID().toString();
        members.join(new MemberView(id, "127.0.0.1:5702", false, true));
        return id;
    }

    @Override
    protected String joinUnproven() {
        String id = UUID.randomUUID().toString();
        members.join(new MemberView(id, "127.0.0.1:5703", false, false));
        return id;
    }

    @Override
    protected void leave(String memberId) {
        members.leave(memberId);
    }
}
