def tracker(request):
    """Values every page needs (the notification bell's unread count)."""
    return {}
