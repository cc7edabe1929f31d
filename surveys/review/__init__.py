"""The International Bureau's side: survey rounds, the review workflow, comments, e-mails."""
