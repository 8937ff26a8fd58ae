"""What the securities app registers with the platform: permission codes and default grants, menu,
attachment owners, audit names, to-dos and its demo step."""
