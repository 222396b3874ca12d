package io.wsrouter.bench;

/**
 * The W2/W3 population: users {@code user-000000...}, each with the same number of connections, the
 * connection ids random UUID strings from a fixed seed. Every peer registers the same ids.
 */
final class Population {

    final String[] users;
    final String[] connections;
    final int connectionsPerUser;

    Population(int userCount, int connectionsPerUser) {
        this.connectionsPerUser = connectionsPerUser;
        this.users = new String[userCount];
        for (int i = 0; i < userCount; i++) {
            users[i] = Workloads.userId(i);
        }
        this.connections = Workloads.connectionIds(userCount * connectionsPerUser, 42L);
    }

    /** @return one principal per user, as a container's authentication makes them */
    UserPrincipal[] principals() {
        UserPrincipal[] principals = new UserPrincipal[users.length];
        for (int u = 0; u < users.length; u++) {
            principals[u] = new UserPrincipal(users[u]);
        }
        return principals;
    }

    /** @return for each connection, the index of its user */
    int[] owners() {
        int[] owners = new int[connections.length];
        for (int c = 0; c < owners.length; c++) {
            owners[c] = c / connectionsPerUser;
        }
        return owners;
    }

    /** @return the user owning connection {@code c}: connections are dealt out user by user */
    String ownerOf(int connection) {
        return users[connection / connectionsPerUser];
    }
}
