"""Who people are: office membership and signing in."""
