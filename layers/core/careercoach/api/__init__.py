"""Everything that knows API Gateway, HTTP or WebSocket events: the resolver and its request guards
(`app`), JSON limits (`body`), errors as HTTP (`errors`), the caller (`caller`), one Router per resource
(`resumes`, `generation`, `practice`, `web`), the WebSocket routes (`websocket`) and the $connect authorizer
(`authorizer`). The domain (the rest of careercoach) never imports this package."""
