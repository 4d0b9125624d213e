"""What an operator watches: logs (`logs`), metrics and traces."""
