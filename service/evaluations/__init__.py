"""Rectification evaluations (整改评价): how well a site put right what was found."""
