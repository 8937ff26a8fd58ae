"""What the release app registers with the platform: permission codes and default grants, menu,
attachment owners, audit names, to-dos, jobs and its demo step."""
