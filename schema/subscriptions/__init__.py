"""GraphQL subscriptions: live events over graphql-transport-ws."""
